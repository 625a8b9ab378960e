/** English strings of practice mode (issue 13.3). */
import type { viPractice } from './vi-practice.ts';

export const enPractice: Record<keyof typeof viPractice, string> = {
  'nav.practice': 'Practice',
  'practice.title': 'Practice school',
  'practice.subtitle': 'Rehearse entering marks, signing and sealing records on fictitious data, without touching real records',
  'practice.what':
    'The practice school is a copy of the demo school: its students and marks are fictitious and its certificates are TEST certificates. You keep your own role there (a subject teacher teaches their subject, a homeroom teacher has a class, the principal approves, the clerk seals) to rehearse each step. Every record there is printed "BẢN THỰC HÀNH" (practice copy), is never sent to the national database, cannot be shared, and verification reports it as a practice copy.',
  'practice.none': 'The school has no practice school yet.',
  'practice.noneAsk': 'Ask the IT officer or the principal to create the practice school.',
  'practice.create': 'Create the practice school',
  'practice.creating': 'Creating the practice school (this can take a minute)…',
  'practice.created': 'Created {name}: {classes} classes, {students} fictitious students, {certificates} test certificates.',
  'practice.reset': 'Reset from scratch',
  'practice.resetConfirm': 'Reset the practice school? Everything rehearsed so far is replaced by a new practice school; real data is not affected.',
  'practice.enter': 'Enter the practice school',
  'practice.leave': 'Back to the real school',
  'practice.name': 'Name',
  'practice.size': 'Size',
  'practice.sizeValue': '{classes} classes, {students} fictitious students',
  'practice.createdAt': 'Created',
  'practice.myRoles': 'My roles in the practice school',
  'practice.steps': 'How to rehearse',
  'practice.step1': 'Click "Enter the practice school" (or pick the school marked "(thực hành)" in the school switcher).',
  'practice.step2': 'Do your own tasks as in the real school: enter marks, freeze, sign, approve, seal. The password for the server-held key is your sign-in password.',
  'practice.step3': 'When done, click "Back to the real school". To start again from scratch, the IT officer or the principal clicks "Reset from scratch".',
  'practice.banner': 'You are in the PRACTICE SCHOOL — fictitious data, test signatures, no legal value.',
};
