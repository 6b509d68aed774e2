// Entry of the dataset parse worker: registers tsx in this thread (the product runs TypeScript
// through tsx, whose hooks a worker thread does not always inherit), then loads the worker itself.
import { register } from 'tsx/esm/api';

register();
await import('./dataset-upload-worker.ts');
