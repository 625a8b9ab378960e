/**
 * How the demo school organises teaching: subject departments (tổ chuyên môn) and the
 * elective combinations (tổ hợp môn lựa chọn) its classes follow. Subject codes are
 * those of domain/assessment/catalogue.ts.
 */

export interface DemoDepartment {
  name: string;
  /**
   * Teaching groups: every teacher of a group teaches all of its subjects (one or two).
   * The first teacher of the first group heads the department.
   */
  groups: ReadonlyArray<readonly string[]>;
}

// HĐTN-HN is in no group: the homeroom teacher teaches it in their own class (common practice).
export const HOMEROOM_SUBJECT = 'HDTN';

export const DEMO_DEPARTMENTS: readonly DemoDepartment[] = [
  { name: 'Tổ Toán – Tin', groups: [['TOAN'], ['TH']] },
  { name: 'Tổ Ngữ văn', groups: [['NV']] },
  { name: 'Tổ Ngoại ngữ', groups: [['NN1']] },
  { name: 'Tổ KHTN (Lí – Hóa – Sinh)', groups: [['VL'], ['HH'], ['SH']] },
  // History teachers also teach the local-education content (NDGDĐP), which is mostly local history.
  { name: 'Tổ KHXH (Sử – Địa – GDKTPL)', groups: [['LS', 'NDGDDP'], ['DL'], ['GDKTPL']] },
  { name: 'Tổ GDTC – GDQP', groups: [['GDTC'], ['GDQPAN']] },
  { name: 'Tổ Nghệ thuật – Công nghệ', groups: [['CN'], ['AN'], ['MT']] },
];

/** Short subject names used in positions and combination names. */
export const SUBJECT_SHORT_NAMES: Record<string, string> = {
  NV: 'Ngữ văn', TOAN: 'Toán', NN1: 'Tiếng Anh', LS: 'Lịch sử', GDTC: 'Thể dục', GDQPAN: 'GDQP&AN',
  HDTN: 'HĐTN-HN', NDGDDP: 'GDĐP', DL: 'Địa lí', GDKTPL: 'GDKT&PL', VL: 'Vật lí', HH: 'Hóa học',
  SH: 'Sinh học', CN: 'Công nghệ', TH: 'Tin học', AN: 'Âm nhạc', MT: 'Mĩ thuật',
};

export interface DemoCombination {
  code: string;
  /** Four of the nine electives (DOMAIN.md §2.1). */
  electives: readonly [string, string, string, string];
  /** Three subjects of the class that carry a learning-topic cluster (cụm chuyên đề). */
  clusters: readonly [string, string, string];
}

export const DEMO_COMBINATIONS: readonly DemoCombination[] = [
  { code: 'KHTN1', electives: ['VL', 'HH', 'SH', 'TH'], clusters: ['TOAN', 'VL', 'HH'] },
  { code: 'KHTN2', electives: ['VL', 'HH', 'TH', 'CN'], clusters: ['TOAN', 'VL', 'TH'] },
  { code: 'KHTN3', electives: ['HH', 'SH', 'DL', 'TH'], clusters: ['TOAN', 'HH', 'SH'] },
  { code: 'KHXH1', electives: ['DL', 'GDKTPL', 'CN', 'TH'], clusters: ['NV', 'LS', 'DL'] },
  { code: 'KHXH2', electives: ['DL', 'GDKTPL', 'VL', 'TH'], clusters: ['NV', 'LS', 'GDKTPL'] },
  { code: 'KHXH3', electives: ['DL', 'GDKTPL', 'AN', 'MT'], clusters: ['NV', 'DL', 'AN'] },
];

/**
 * Combination of the n-th class of a grade (A1, A2 …), repeating every 12 classes.
 * A1 follows KHTN1, which includes Tin học, so even a 3-class school gives the IT
 * officer (who teaches Tin học) a class.
 */
export const CLASS_COMBINATION_PATTERN: readonly string[] = [
  'KHTN1', 'KHTN1', 'KHTN1', 'KHTN2', 'KHTN2', 'KHTN3', 'KHXH1', 'KHXH1', 'KHXH1', 'KHXH2', 'KHXH2', 'KHXH3',
];
