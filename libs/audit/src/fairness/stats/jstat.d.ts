// jstat ships no type declarations (and there is no @types package); only what this lib calls is declared.
declare module 'jstat' {
  export const jStat: {
    normal: {
      /** Quantile function of the normal distribution. */
      inv(p: number, mean: number, sd: number): number;
    };
  };
}
