export { IsJsonObject } from './is-json-object.decorator.js';
export { IsSafeInteger } from './is-safe-integer.decorator.js';
export { IsSafeText } from './is-safe-text.decorator.js';
export { FORBIDDEN_KEYS, type JsonObjectLimits, jsonObjectProblem } from './json-object-problem.js';
export { forbiddenKeyPath } from './forbidden-key-path.js';
export { nestingDepthExceeds } from './nesting-depth.js';
export { isSafeText } from './safe-text.js';
