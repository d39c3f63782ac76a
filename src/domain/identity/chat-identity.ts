/** A chat account (channel + the platform's user id) linked to the partner it reports for. */
export interface ChatIdentity {
  channel: string;
  channelUserId: string;
  partnerId: string;
  linkedAt: Date;
  /** The reporter's own call-back name and phone, asked once after linking (staff see it with each report). */
  contact?: { name: string; phone: string } | null;
}
