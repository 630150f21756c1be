export * from './common.js';
export * from './records.js';
export * from './document.js';
export * from './diff.js';
export * from './fixture-spec.js';
export * from './fixture-manifest.js';
export * from './report.js';
export * from './compare.js';
