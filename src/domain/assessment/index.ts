/**
 * Circular 22/2021/TT-BGDĐT rules engine: pure functions, exact decimal (marks in integer
 * tenths), half-up to one decimal. See docs/assessment.md for each rule and where it lives.
 */
export * from './awards.ts';
export * from './catalogue.ts';
export * from './conduct.ts';
export * from './decimal.ts';
export * from './errors.ts';
export * from './exemptions.ts';
export * from './learning-result.ts';
export * from './levels.ts';
export * from './marks.ts';
export * from './promotion.ts';
export * from './reassessment.ts';
export * from './rules.ts';
export * from './student-year.ts';
export * from './subject-semester.ts';
export * from './subject-year.ts';
export type * from './types.ts';
