/** Receipt numbers read "YYYY-NNNNNN": the year in Seoul and a six-digit sequence of the district. */
export const formatReceiptNo = (year: number, seq: number): string => `${year}-${String(seq).padStart(6, '0')}`;

export const RECEIPT_NO = /^\d{4}-\d{6}$/;
