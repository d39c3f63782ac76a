const fmt = new Intl.DateTimeFormat('ko-KR', { timeZone: 'Asia/Seoul', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });

/** A Seoul date and time as staff read it. */
export const seoulDateTime = (d: Date | string) => fmt.format(typeof d === 'string' ? new Date(d) : d);
