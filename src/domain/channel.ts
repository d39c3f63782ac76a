/** The chat channels Sagak talks on (adapters translate each platform); the domain files reports from them. */
export type Channel = 'kakao' | 'slack' | 'telegram' | 'web';
