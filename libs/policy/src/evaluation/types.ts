export type VerdictName = 'allow' | 'review' | 'block';
