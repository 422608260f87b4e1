export { Formats, listOf, DEFAULT_MAX_LENGTH, type Format, type Declared, type InputClass } from './formats.js';
export { Arg, BodyArg, Checked, QueryArg } from './decorators.js';
export { InputError, checkValue } from './input-check.js';
export { checkHandlerInput } from './handler-input.js';
