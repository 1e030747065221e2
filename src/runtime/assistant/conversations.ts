// Conversations, kept per user for 30 days. In memory: they do not survive a restart and are not
// shared by the nodes of a fleet (a store table is the next step; docs/assistant.md says so).
import { randomUUID } from 'node:crypto';
import type { ChatMessage } from '../../assistant/types.ts';

export const CONVERSATION_TTL_MS = 30 * 86_400_000;
const MAX_MESSAGES = 200;
const MAX_CONVERSATIONS_PER_USER = 100;

export interface Conversation {
  readonly id: string;
  readonly owner: string;
  readonly sandbox: string;
  readonly messages: ChatMessage[];
  /** The journey the last data answer was about, for "how is it doing?". */
  journeyId: string | null;
  updatedAt: number;
}

export class ConversationStore {
  private readonly byId = new Map<string, Conversation>();

  constructor(private readonly now: () => number) {}

  /** The owner's conversation in that sandbox, or null (another user's or an expired one reads as absent). */
  get(id: string, owner: string, sandbox: string): Conversation | null {
    this.sweep();
    const c = this.byId.get(id);
    return c && c.owner === owner && c.sandbox === sandbox ? c : null;
  }

  create(owner: string, sandbox: string): Conversation {
    this.sweep();
    const mine = [...this.byId.values()].filter((c) => c.owner === owner);
    if (mine.length >= MAX_CONVERSATIONS_PER_USER) {
      const oldest = mine.sort((a, b) => a.updatedAt - b.updatedAt)[0]!;
      this.byId.delete(oldest.id);
    }
    const c: Conversation = {
      id: randomUUID(),
      owner,
      sandbox,
      messages: [],
      journeyId: null,
      updatedAt: this.now(),
    };
    this.byId.set(c.id, c);
    return c;
  }

  append(c: Conversation, ...messages: ChatMessage[]): void {
    c.messages.push(...messages);
    if (c.messages.length > MAX_MESSAGES) c.messages.splice(0, c.messages.length - MAX_MESSAGES);
    c.updatedAt = this.now();
  }

  private sweep(): void {
    const cutoff = this.now() - CONVERSATION_TTL_MS;
    for (const [id, c] of this.byId) if (c.updatedAt < cutoff) this.byId.delete(id);
  }
}
