export * from './clip-tokenizer';
export * from './load-tokenizer';
export { normalizeText } from './normalize';
