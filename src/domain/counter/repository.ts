/** Receipt sequence numbers per district and year; src/store/counter implements it. */
export interface ReceiptCounter {
  next(district: string, year: number): Promise<number>;
  /** Reserves `count` numbers at once (a list import); returns the first. */
  reserveBlock(district: string, year: number, count: number): Promise<number>;
}
