/**
 * Identity rules (DOMAIN.md §6): personal ID numbers (CCCD), Ministry student codes,
 * ethnic groups, personal names and dates as Vietnamese users write them. Pure.
 */
export * from './dates.ts';
export * from './ethnicity.ts';
export * from './names.ts';
export * from './personal-id.ts';
export * from './provinces-pre2025.ts';
export * from './student-code.ts';
export * from './types.ts';
