// The Assistant's conversations (kept per user and sandbox for 30 days, purged by the retention
// purger) and the feedback given on its answers. Neither is journey state: the Assistant service
// (src/runtime/assistant/conversations.ts) owns these writes, as the access services own the audit log.

/** One conversation as stored: its owner's questions and the answers, oldest first. */
export interface ConversationRow {
  readonly sandbox: string;
  readonly id: string;
  /** `<actor kind>:<actor id>`: only they read it. */
  readonly owner: string;
  /** `[{role, content}]` as JSON. */
  readonly messages: unknown;
  /** The journey the last data answer was about ("how is it doing?"), or null. */
  readonly journeyId: string | null;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** Whether an answer helped, as its asker said. */
export interface AssistantFeedbackRow {
  readonly sandbox: string;
  readonly id: string;
  readonly conversationId: string;
  readonly owner: string;
  readonly helpful: boolean;
  readonly comment: string | null;
  /** Epoch milliseconds. */
  readonly at: number;
}

export interface AssistantRepository {
  /** The conversation, whoever owns it (the service checks the owner), or null. */
  getConversation(sandbox: string, id: string): Promise<ConversationRow | null>;
  /** Creates or replaces the conversation. */
  putConversation(row: ConversationRow): Promise<void>;
  /** Deletes at most `limit` conversations last updated before `before` (epoch ms), oldest first; returns how many. */
  purgeConversations(before: number, limit: number): Promise<number>;
  appendAssistantFeedback(row: AssistantFeedbackRow): Promise<void>;
  /** A sandbox's feedback, newest first, at most `limit`. */
  listAssistantFeedback(sandbox: string, limit: number): Promise<AssistantFeedbackRow[]>;
}
