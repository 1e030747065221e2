// The Assistant's conversations and feedback on PostgreSQL, the same as the embedded store's
// (sqlite/assistant.ts), on pool connections outside the store's commit queue: not journey state.
import type pg from 'pg';
import type { AssistantFeedbackRow, AssistantRepository, ConversationRow } from '../ports.ts';

interface ConversationDbRow {
  sandbox: string;
  id: string;
  owner: string;
  messages: unknown;
  journey_id: string | null;
  created_at: string;
  updated_at: string;
}

interface FeedbackDbRow {
  sandbox: string;
  id: string;
  conversation_id: string;
  owner: string;
  helpful: boolean;
  comment: string | null;
  at: string;
}

export class PostgresAssistant implements AssistantRepository {
  constructor(private readonly pool: pg.Pool) {}

  async getConversation(sandbox: string, id: string): Promise<ConversationRow | null> {
    const { rows } = await this.pool.query<ConversationDbRow>(
      'SELECT sandbox, id, owner, messages, journey_id, created_at, updated_at FROM assistant_conversations WHERE sandbox = $1 AND id = $2',
      [sandbox, id],
    );
    const r = rows[0];
    return r
      ? {
          sandbox: r.sandbox,
          id: r.id,
          owner: r.owner,
          messages: r.messages,
          journeyId: r.journey_id,
          createdAt: Number(r.created_at),
          updatedAt: Number(r.updated_at),
        }
      : null;
  }

  async putConversation(c: ConversationRow): Promise<void> {
    await this.pool.query(
      `INSERT INTO assistant_conversations (sandbox, id, owner, messages, journey_id, created_at, updated_at)
       VALUES ($1, $2, $3, $4::json, $5, $6, $7)
       ON CONFLICT (sandbox, id) DO UPDATE SET owner = EXCLUDED.owner, messages = EXCLUDED.messages,
         journey_id = EXCLUDED.journey_id, updated_at = EXCLUDED.updated_at`,
      [c.sandbox, c.id, c.owner, JSON.stringify(c.messages), c.journeyId, c.createdAt, c.updatedAt],
    );
  }

  async purgeConversations(before: number, limit: number): Promise<number> {
    return (
      (
        await this.pool.query(
          `DELETE FROM assistant_conversations WHERE (sandbox, id) IN
             (SELECT sandbox, id FROM assistant_conversations WHERE updated_at < $1 ORDER BY updated_at LIMIT $2)`,
          [before, limit],
        )
      ).rowCount ?? 0
    );
  }

  async appendAssistantFeedback(f: AssistantFeedbackRow): Promise<void> {
    await this.pool.query(
      'INSERT INTO assistant_feedback (sandbox, id, conversation_id, owner, helpful, comment, at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [f.sandbox, f.id, f.conversationId, f.owner, f.helpful, f.comment, f.at],
    );
  }

  async listAssistantFeedback(sandbox: string, limit: number): Promise<AssistantFeedbackRow[]> {
    const { rows } = await this.pool.query<FeedbackDbRow>(
      'SELECT sandbox, id, conversation_id, owner, helpful, comment, at FROM assistant_feedback WHERE sandbox = $1 ORDER BY at DESC, id DESC LIMIT $2',
      [sandbox, limit],
    );
    return rows.map((r) => ({
      sandbox: r.sandbox,
      id: r.id,
      conversationId: r.conversation_id,
      owner: r.owner,
      helpful: r.helpful,
      comment: r.comment,
      at: Number(r.at),
    }));
  }
}
