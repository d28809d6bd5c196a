/** The typed contract between the extension and its webviews; see messages.ts for the entry points. */
export * from './validate';
export * from './series';
export * from './snapshot';
export * from './profile';
export * from './messages';
export * from './html';
