import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
} from '@fluentui/react-components';
import type { ApiProblem } from '../api/client';

/** An API problem as a message bar, with a retry when the caller can load again. */
export function ProblemBar(props: { problem: ApiProblem | undefined; title?: string; onRetry?: () => void }) {
  if (!props.problem) return null;
  return (
    <MessageBar intent="error" role="alert">
      <MessageBarBody>
        {props.title && <MessageBarTitle>{props.title}</MessageBarTitle>}
        {props.problem.message}
      </MessageBarBody>
      {props.onRetry && (
        <MessageBarActions>
          <Button onClick={props.onRetry}>Try again</Button>
        </MessageBarActions>
      )}
    </MessageBar>
  );
}
