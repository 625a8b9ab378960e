/**
 * Vietnamese UI strings for the signature images stamped on the record PDF (Decree 30/2020):
 * one's own signature (account page) and the school seal (school settings). Spread into vi.ts.
 */
export const viSignatures = {
  'signatureImage.title': 'Ảnh chữ ký',
  'signatureImage.sealTitle': 'Ảnh con dấu của trường',
  'signatureImage.hint': 'Ảnh chữ ký tay màu xanh, định dạng PNG nền trong suốt, tối đa 1 MB (Nghị định 30/2020). Ảnh được đặt vào ô chữ ký trên học bạ khi bạn ký số.',
  'signatureImage.sealHint': 'Ảnh con dấu màu đỏ, định dạng PNG nền trong suốt, tối đa 1 MB, đúng kích thước thật (nên ghi độ phân giải trong tệp). Con dấu trùm lên khoảng 1/3 chữ ký của Hiệu trưởng, về bên trái.',
  'signatureImage.none': 'Chưa có ảnh. Khi ký, học bạ sẽ ghi thông tin người ký bằng chữ.',
  'signatureImage.sealNone': 'Chưa có ảnh con dấu.',
  'signatureImage.upload': 'Tải ảnh lên',
  'signatureImage.replace': 'Thay ảnh',
  'signatureImage.remove': 'Xoá ảnh',
  'signatureImage.removeConfirm': 'Xoá ảnh này? Các học bạ đã ký không thay đổi.',
  'signatureImage.uploaded': 'Đã lưu ảnh.',
  'signatureImage.removed': 'Đã xoá ảnh.',
  'signatureImage.details': '{width} × {height} điểm ảnh · tải lên lúc {at}',
  'signatureImage.size': 'Kích thước thật: {width} × {height} mm',
  'signatureImage.alt': 'Ảnh chữ ký của bạn',
  'signatureImage.sealAlt': 'Ảnh con dấu của trường',
};
