// The Assistant's conversations and feedback on the embedded store (tables assistant_conversations
// and assistant_feedback, schema.ts).
import type Database from 'better-sqlite3';
import type { AssistantFeedbackRow, AssistantRepository, ConversationRow } from '../ports.ts';

interface ConversationDbRow {
  sandbox: string;
  id: string;
  owner: string;
  messages: string;
  journey_id: string | null;
  created_at: number;
  updated_at: number;
}

interface FeedbackDbRow {
  sandbox: string;
  id: string;
  conversation_id: string;
  owner: string;
  helpful: number;
  comment: string | null;
  at: number;
}

export class SqliteAssistant implements AssistantRepository {
  private readonly get: Database.Statement;
  private readonly put: Database.Statement;
  private readonly purge: Database.Statement;
  private readonly appendFeedback: Database.Statement;
  private readonly listFeedback: Database.Statement;

  constructor(db: Database.Database) {
    this.get = db.prepare(
      'SELECT sandbox, id, owner, messages, journey_id, created_at, updated_at FROM assistant_conversations WHERE sandbox = ? AND id = ?',
    );
    this.put = db.prepare(
      `INSERT INTO assistant_conversations (sandbox, id, owner, messages, journey_id, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (sandbox, id) DO UPDATE SET owner = excluded.owner, messages = excluded.messages,
         journey_id = excluded.journey_id, updated_at = excluded.updated_at`,
    );
    this.purge = db.prepare(
      `DELETE FROM assistant_conversations WHERE (sandbox, id) IN
         (SELECT sandbox, id FROM assistant_conversations WHERE updated_at < ? ORDER BY updated_at LIMIT ?)`,
    );
    this.appendFeedback = db.prepare(
      'INSERT INTO assistant_feedback (sandbox, id, conversation_id, owner, helpful, comment, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.listFeedback = db.prepare(
      'SELECT sandbox, id, conversation_id, owner, helpful, comment, at FROM assistant_feedback WHERE sandbox = ? ORDER BY at DESC, id DESC LIMIT ?',
    );
  }

  async getConversation(sandbox: string, id: string): Promise<ConversationRow | null> {
    const r = this.get.get(sandbox, id) as ConversationDbRow | undefined;
    return r
      ? {
          sandbox: r.sandbox,
          id: r.id,
          owner: r.owner,
          messages: JSON.parse(r.messages) as unknown,
          journeyId: r.journey_id,
          createdAt: r.created_at,
          updatedAt: r.updated_at,
        }
      : null;
  }

  async putConversation(c: ConversationRow): Promise<void> {
    this.put.run(
      c.sandbox,
      c.id,
      c.owner,
      JSON.stringify(c.messages),
      c.journeyId,
      c.createdAt,
      c.updatedAt,
    );
  }

  async purgeConversations(before: number, limit: number): Promise<number> {
    return this.purge.run(before, limit).changes;
  }

  async appendAssistantFeedback(f: AssistantFeedbackRow): Promise<void> {
    this.appendFeedback.run(
      f.sandbox,
      f.id,
      f.conversationId,
      f.owner,
      f.helpful ? 1 : 0,
      f.comment,
      f.at,
    );
  }

  async listAssistantFeedback(sandbox: string, limit: number): Promise<AssistantFeedbackRow[]> {
    return (this.listFeedback.all(sandbox, limit) as FeedbackDbRow[]).map((r) => ({
      sandbox: r.sandbox,
      id: r.id,
      conversationId: r.conversation_id,
      owner: r.owner,
      helpful: r.helpful === 1,
      comment: r.comment,
      at: r.at,
    }));
  }
}
