import { makeStaticStyles } from '@fluentui/react-components';

/** Page-wide rules: no body margin, and the visually-hidden helper for text meant for screen readers only. */
export const useGlobalStyles = makeStaticStyles({
  body: { margin: 0 },
  '.visually-hidden': {
    position: 'absolute',
    width: '1px',
    height: '1px',
    margin: '-1px',
    padding: 0,
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
    whiteSpace: 'nowrap',
    border: 0,
  },
});
