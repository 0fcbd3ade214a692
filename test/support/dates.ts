const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** '2026-12-05' → '5 December 2026', written out here independently of the server's formatter. */
export function inWords(isoDate: string): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  return `${day} ${MONTHS[month - 1]} ${year}`;
}

/** An ISO date or timestamp anywhere in a text (what people must not be shown). */
export const ISO_DATE = /\d{4}-\d{2}-\d{2}/;
