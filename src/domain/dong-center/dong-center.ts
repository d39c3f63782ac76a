/** A dong community center and where its weekly list goes. */
export interface DongCenter {
  district: string;
  /** The administrative dong's 10-digit code (행정동 코드). */
  code: string;
  name: string;
  slackChannel: string | null;
  telegramChatId: string | null;
  emails: string[];
  updatedAt: Date;
}

export type DeliveryTargetsPatch = Partial<Pick<DongCenter, 'slackChannel' | 'telegramChatId' | 'emails'>>;
