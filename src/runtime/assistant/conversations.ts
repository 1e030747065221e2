// Conversations, kept per user and sandbox for 30 days, and the feedback on answers: stored (tables
// assistant_conversations and assistant_feedback), so that they survive a restart and every node of
// a fleet sees them. These writes are not journey state: this service owns them (CatalogWrites,
// src/runtime/unit-of-work/store-reads.ts), as the access services own the audit log. The retention
// purger deletes conversations not updated for CONVERSATION_TTL_MS (src/runtime/retention/purger.ts).
import { randomUUID } from 'node:crypto';
import type { ChatMessage, ChatRole } from '../../assistant/types.ts';
import type { AssistantFeedbackRow, Store } from '../../store/ports.ts';

export const CONVERSATION_TTL_MS = 30 * 86_400_000;
const MAX_MESSAGES = 200;

export interface Conversation {
  readonly id: string;
  readonly owner: string;
  readonly sandbox: string;
  readonly messages: ChatMessage[];
  /** The journey the last data answer was about, for "how is it doing?". */
  journeyId: string | null;
  readonly createdAt: number;
  updatedAt: number;
}

export interface Feedback {
  readonly conversationId: string;
  readonly user: string;
  readonly sandbox: string;
  readonly helpful: boolean;
  readonly comment?: string;
  readonly at: string;
}

type ConversationPort = Pick<
  Store,
  'getConversation' | 'putConversation' | 'appendAssistantFeedback' | 'listAssistantFeedback'
>;

const ROLES: readonly ChatRole[] = ['user', 'assistant'];

/** The stored messages, keeping only well-formed ones (the column is JSON). */
function messagesOf(stored: unknown): ChatMessage[] {
  if (!Array.isArray(stored)) return [];
  return stored.flatMap((m: unknown): ChatMessage[] =>
    typeof m === 'object' &&
    m !== null &&
    'role' in m &&
    'content' in m &&
    typeof m.content === 'string' &&
    ROLES.includes(m.role as ChatRole)
      ? [{ role: m.role as ChatRole, content: m.content }]
      : [],
  );
}

export class ConversationStore {
  constructor(
    private readonly store: ConversationPort,
    private readonly now: () => number,
  ) {}

  /** The owner's conversation in that sandbox, or null (another user's or an expired one reads as absent). */
  async get(id: string, owner: string, sandbox: string): Promise<Conversation | null> {
    const row = await this.store.getConversation(sandbox, id);
    if (row === null || row.owner !== owner) return null;
    if (row.updatedAt < this.now() - CONVERSATION_TTL_MS) return null;
    return {
      id: row.id,
      owner: row.owner,
      sandbox: row.sandbox,
      messages: messagesOf(row.messages),
      journeyId: row.journeyId,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
  }

  /** A new conversation, stored with its first messages (`append`). */
  create(owner: string, sandbox: string): Conversation {
    const at = this.now();
    return {
      id: randomUUID(),
      owner,
      sandbox,
      messages: [],
      journeyId: null,
      createdAt: at,
      updatedAt: at,
    };
  }

  async append(c: Conversation, ...messages: ChatMessage[]): Promise<void> {
    c.messages.push(...messages);
    if (c.messages.length > MAX_MESSAGES) c.messages.splice(0, c.messages.length - MAX_MESSAGES);
    c.updatedAt = this.now();
    await this.store.putConversation({
      sandbox: c.sandbox,
      id: c.id,
      owner: c.owner,
      messages: c.messages,
      journeyId: c.journeyId,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
    });
  }

  /** Records whether an answer helped; false when the conversation is not the user's. */
  async feedback(f: Omit<Feedback, 'at'>): Promise<boolean> {
    if ((await this.get(f.conversationId, f.user, f.sandbox)) === null) return false;
    await this.store.appendAssistantFeedback({
      sandbox: f.sandbox,
      id: randomUUID(),
      conversationId: f.conversationId,
      owner: f.user,
      helpful: f.helpful,
      comment: f.comment ?? null,
      at: this.now(),
    });
    return true;
  }

  /** A sandbox's feedback, newest first. */
  async feedbackOf(sandbox: string, limit = 1000): Promise<Feedback[]> {
    return (await this.store.listAssistantFeedback(sandbox, limit)).map(
      (r: AssistantFeedbackRow) => ({
        conversationId: r.conversationId,
        user: r.owner,
        sandbox: r.sandbox,
        helpful: r.helpful,
        ...(r.comment !== null ? { comment: r.comment } : {}),
        at: new Date(r.at).toISOString(),
      }),
    );
  }
}
