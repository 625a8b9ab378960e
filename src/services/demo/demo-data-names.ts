/**
 * Vietnamese names for the demo school (Thanh Hóa). Weights are rough shares, not
 * statistics: they only make the lists look like a real class register.
 */
import type { Gender } from '../../domain/identity/types.ts';

/** [value, weight] pairs for a weighted draw. */
export type Weighted<T> = ReadonlyArray<readonly [T, number]>;

/** Family names of Kinh families; Lê and Trịnh are notably common in Thanh Hóa. */
export const KINH_FAMILY_NAMES: Weighted<string> = [
  ['Nguyễn', 30], ['Lê', 16], ['Trần', 8], ['Phạm', 7], ['Hoàng', 4], ['Vũ', 4], ['Đỗ', 4],
  ['Mai', 4], ['Trịnh', 4], ['Đặng', 2], ['Bùi', 3], ['Ngô', 2], ['Dương', 2], ['Đinh', 2],
  ['Hà', 2], ['Lương', 1], ['Cao', 1], ['Phan', 1], ['Hồ', 1], ['Đào', 1], ['Văn', 1], ['Tạ', 1],
];
/** Family names common among Mường families of western Thanh Hóa. */
export const MUONG_FAMILY_NAMES: Weighted<string> = [['Bùi', 4], ['Đinh', 3], ['Quách', 2], ['Hà', 2], ['Phạm', 1], ['Trương', 1]];
/** Family names common among Thái families of western Thanh Hóa. */
export const THAI_FAMILY_NAMES: Weighted<string> = [['Lò', 3], ['Lương', 3], ['Hà', 2], ['Vi', 2], ['Cầm', 2], ['Lê', 1]];

export const MIDDLE_NAMES: Record<Gender, Weighted<string>> = {
  male: [
    ['Văn', 18], ['Đức', 6], ['Minh', 6], ['Quang', 4], ['Hữu', 4], ['Đình', 4], ['Xuân', 3], ['Thành', 3],
    ['Công', 3], ['Tiến', 2], ['Anh', 2], ['Gia', 2], ['Bảo', 2], ['Hoàng', 2], ['Trung', 2], ['Ngọc', 1], ['Việt', 2],
  ],
  female: [
    ['Thị', 20], ['Ngọc', 5], ['Thu', 4], ['Thanh', 3], ['Phương', 3], ['Minh', 3], ['Hồng', 3], ['Bảo', 2],
    ['Khánh', 2], ['Mai', 2], ['Thùy', 3], ['Diệu', 1], ['Hải', 1], ['Quỳnh', 1], ['Kim', 2], ['Lan', 1],
  ],
};

export const GIVEN_NAMES: Record<Gender, readonly string[]> = {
  male: [
    'An', 'Anh', 'Bảo', 'Bình', 'Cường', 'Dũng', 'Duy', 'Dương', 'Đạt', 'Đức', 'Giang', 'Hải', 'Hiếu', 'Hoàng',
    'Huy', 'Hùng', 'Hưng', 'Khang', 'Khánh', 'Khoa', 'Kiên', 'Lâm', 'Long', 'Lộc', 'Mạnh', 'Minh', 'Nam', 'Nghĩa',
    'Nguyên', 'Phong', 'Phúc', 'Quân', 'Quang', 'Quý', 'Sơn', 'Tài', 'Thái', 'Thắng', 'Thành', 'Thịnh', 'Tiến',
    'Toàn', 'Trung', 'Trường', 'Tuấn', 'Tùng', 'Việt', 'Vinh', 'Vũ', 'Hậu',
  ],
  female: [
    'An', 'Anh', 'Ánh', 'Chi', 'Diệp', 'Dung', 'Duyên', 'Giang', 'Hà', 'Hằng', 'Hạnh', 'Hiền', 'Hoa', 'Huyền',
    'Hương', 'Lan', 'Linh', 'Loan', 'Ly', 'Mai', 'My', 'Nga', 'Ngân', 'Ngọc', 'Nhi', 'Nhung', 'Oanh', 'Phương',
    'Quỳnh', 'Tâm', 'Thảo', 'Thư', 'Thủy', 'Trang', 'Trâm', 'Uyên', 'Vân', 'Vy', 'Yến', 'Hồng', 'Liên', 'Nguyệt',
  ],
};

export const FATHER_OCCUPATIONS: Weighted<string> = [
  ['Nông dân', 26], ['Công nhân', 14], ['Ngư dân', 8], ['Kinh doanh tự do', 12], ['Lao động tự do', 12],
  ['Thợ xây', 6], ['Lái xe', 4], ['Giáo viên', 3], ['Công chức', 3], ['Bộ đội', 2], ['Công an', 1],
  ['Làm ăn xa', 5], ['Thợ mộc', 2], ['Kỹ sư', 2],
];

export const MOTHER_OCCUPATIONS: Weighted<string> = [
  ['Nông dân', 26], ['Công nhân', 18], ['Nội trợ', 8], ['Kinh doanh tự do', 12], ['Buôn bán', 8],
  ['Lao động tự do', 8], ['Giáo viên', 4], ['Nhân viên y tế', 2], ['Công chức', 3], ['Thợ may', 4], ['Làm ăn xa', 3],
];

/** Policy status (diện chính sách) recorded on the identity page. */
export const POLICY_STATUSES: Weighted<string> = [
  ['Con hộ nghèo', 5], ['Con hộ cận nghèo', 6], ['Con thương binh', 2], ['Con bệnh binh', 1], ['Con người có công với cách mạng', 1],
];
