/** Snapshots that stress the PDF layout: many subjects, very long comments and words. */
import { fullSnapshot } from '../hbs-xml/test-snapshots.ts';
import type { RecordSnapshot, SubjectRow } from '../../domain/record/snapshot.ts';
import type { SignatureBlock } from './signature-blocks.ts';
import { sealTestPng, signatureTestPng } from './test-png.ts';

const SENTENCE = 'Em có ý thức học tập tốt, tích cực phát biểu xây dựng bài, biết hợp tác với bạn bè trong hoạt động nhóm; cần rèn thêm kĩ năng trình bày và đọc thêm sách tham khảo. ';

/** The last word of the very long comment (one token, so no line or page break splits it). */
export const LONG_COMMENT_END = 'HẾT_NHẬN_XÉT_BỘ_MÔN';
/** The last word of the very long homeroom comment. */
export const LONG_HOMEROOM_END = 'HẾT_NHẬN_XÉT_CHỦ_NHIỆM';

/** 30 subjects, one comment longer than a whole page, an unbreakable 300-character word, a long homeroom comment. */
export function longSnapshot(): RecordSnapshot {
  const s = fullSnapshot();
  const base = s.year.subjects;
  const subjects: SubjectRow[] = [];
  for (let i = 0; i < 30; i++) {
    const b = base[i % base.length]!;
    subjects.push({ ...b, code: `${b.code}_${i}`, name: i % 7 === 3 ? `${b.name} – chuyên đề học tập lựa chọn số ${i} (cụm chuyên đề nâng cao)` : b.name });
  }
  subjects[4] = { ...subjects[4]!, comment: `${SENTENCE.repeat(45)}${LONG_COMMENT_END}` };
  subjects[9] = { ...subjects[9]!, comment: `Liên kết: ${'x'.repeat(300)} cuối.` };
  s.year.subjects = subjects;
  s.year.homeroom.comment = `${SENTENCE.repeat(25)}\n\nĐoạn hai sau một dòng trống.\t${LONG_HOMEROOM_END}`;
  s.identity.address = `Số 12, ngõ 34, ${'đường Nguyễn Chí Thanh, '.repeat(6)}Phường Láng, Thành phố Hà Nội`;
  s.year.award = 'gioi';
  return s;
}

const testCertificate = (cn: string) => ({ subject: `CN=${cn}, O=Trường THPT Chu Văn An, L=Hà Nội, C=VN`, issuer: 'CN=Hocba Test Issuing CA, O=hocba, C=VN', serial: '4f2a9c01d3' });

/**
 * Every signature of a record (for fullSnapshot): two subject teachers (one row signed by
 * someone else than the row's teacher), the homeroom teacher, the principal — or, for 'text',
 * a vice principal for the principal — and the school seal. 'images' stamps the blue
 * signatures and the red seal; 'text' gives certificates and no signature images (the seal
 * image stays), so the text blocks show.
 */
export function signatureBlocks(s: RecordSnapshot, variant: 'images' | 'text'): SignatureBlock[] {
  const rows = s.year.subjects;
  const images = variant === 'images';
  return [
    { role: 'subject_teacher', fullName: rows[0]!.teacherName, signedAt: '2026-06-20T01:10:00Z', subjectCodes: [rows[0]!.code] },
    { role: 'subject_teacher', fullName: 'Trần Văn Thay', signedAt: '2026-06-20T02:11:00Z', subjectCodes: [rows[1]!.code, rows[2]!.code] },
    { role: 'homeroom_teacher', fullName: s.year.homeroom.teacherName, signedAt: '2026-06-24T03:00:00Z', ...(images ? { signatureImage: signatureTestPng(1) } : { certificate: testCertificate(s.year.homeroom.teacherName) }) },
    images
      ? { role: 'principal', fullName: 'Nguyễn Văn Bình', signedAt: '2026-06-25T02:19:01Z', signatureImage: signatureTestPng() }
      : { role: 'vice_principal', fullName: 'Lê Thị Thu Hằng', signedAt: '2026-06-24T18:30:00Z', certificate: testCertificate('Lê Thị Thu Hằng') },
    { role: 'school_seal', fullName: 'Trường THPT Chu Văn An', signedAt: '2026-06-25T03:00:00Z', sealImage: sealTestPng(), certificate: testCertificate('Trường THPT Chu Văn An') },
  ];
}
