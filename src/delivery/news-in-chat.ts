import { NEWS_SHOWN_TITLE, newsLine, newsMessage } from '../domain/reporter-news/news-text';
import { outcomeOf, type QueuedNews } from '../domain/reporter-news/news';
import type { ReporterNewsRepository } from '../domain/reporter-news/repository';

/** News taken for one reply: `kept` once the reply goes out, `given back` when it will not. */
export interface NewsForReply {
  text: string;
  /** The reply goes out: the news leave the queue. */
  kept(): Promise<void>;
  /** The reply will not be seen (the channel's deadline passed): the next message shows them. */
  givenBack(): Promise<void>;
}

/**
 * News that could not be pushed (the web chat; Kakao without the Event API or past its daily cap;
 * a partner that turned pushes off) are shown at the reporter's next message, before the reply,
 * under "지난번 신고 소식". A turn without news costs at most one read (the marks' change token, shared by the turns asking at once: reporter-news.ts). Each
 * news is shown once: its outcome insert decides which of two racing turns shows it, and a turn
 * that misses its deadline gives its news back.
 */
export function newsInChat(deps: { news: ReporterNewsRepository; now: () => Date }) {
  // `waiting`: the waiting mark, when the caller read it already (beside the turn)
  return async (
    channel: string,
    userId: string,
    waiting: Promise<boolean> = deps.news.isWaiting(channel, userId),
  ): Promise<NewsForReply | undefined> => {
    if (!(await waiting)) return undefined;
    // 알림 끄기: the sweep ends these as skipped
    if (await deps.news.isOff(channel, userId)) return undefined;
    const items = (await deps.news.queuedOf(channel, userId)).filter((q) => q.route === 'chat');
    const now = deps.now();
    const shown: QueuedNews[] = [];
    for (const it of items) {
      const won = await deps.news.decide(outcomeOf(it, 'shown', { via: 'chat', text: newsLine(it) }, now));
      if (won) shown.push(it);
    }
    const kept = async () => {
      await deps.news.dequeue(items.map((i) => i.id));
      // the sweep marks the chat again for news it queues meanwhile
      await deps.news.clearWaiting(channel, userId);
    };
    if (!shown.length) {
      await kept();
      return undefined;
    }
    return {
      text: newsMessage(shown, NEWS_SHOWN_TITLE),
      kept,
      givenBack: () => deps.news.undecide(shown.map((i) => i.id)),
    };
  };
}
