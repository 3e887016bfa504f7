import { fromOpenAiBpe } from './libs/clip/src/tokenizer/load-tokenizer';
const t = fromOpenAiBpe('../shared/clip/bpe_simple_vocab_16e6.txt.gz');
console.log(t.encode('a photo of a cat'));
