// The Assistant: one question in, one answer out, in the asker's sandbox with the asker's
// permissions. Without a model (the default) it answers from intents and the documentation;
// with one (model.ts) the model picks the tools. It keeps conversations per user (stored:
// conversations.ts) and limits how often each user asks.
import { DEFAULT_BUDGET, type BudgetLimits } from '../../assistant/budget.ts';
import { answerWithoutModel } from '../../assistant/no-model.ts';
import type {
  AssistantAnswer,
  ChatMessage,
  Citation,
  DataSet,
  DocSearch,
} from '../../assistant/types.ts';
import type { Waymark } from '../app.ts';
import type { ConversationStore, Feedback } from './conversations.ts';

export type { Feedback } from './conversations.ts';
import { buildDocIndex } from './doc-index.ts';
import { answerWithModel, type ModelConfig } from './model.ts';
import { UserRateLimit } from './rate-limit.ts';
import type { AssistantSandboxSettings } from './sandbox-defaults.ts';
import { createTools, type Asker } from './tools.ts';

export interface AssistantOptions {
  /** The model, or null for none (the default). */
  readonly model?: ModelConfig | null;
  /** Questions per user and minute (default 20 with a model, 120 without: a model costs). */
  readonly questionsPerMinute?: number;
  readonly budget?: BudgetLimits;
}

export interface ChatReply {
  readonly answer: string;
  readonly citations: readonly Citation[];
  readonly data?: readonly DataSet[];
  readonly conversationId: string;
  readonly mode: AssistantAnswer['mode'];
}

export type ChatOutcome =
  | { readonly kind: 'answered'; readonly reply: ChatReply }
  | { readonly kind: 'rate-limited'; readonly retryAfterSeconds: number }
  | { readonly kind: 'unknown-conversation' };

/** Why a model call failed, without anything the error may carry (headers, the request). */
function modelFailure(e: unknown): string {
  if (typeof e === 'object' && e !== null && 'status' in e && typeof e.status === 'number')
    return `HTTP ${e.status}`;
  if (e instanceof Error && /timed? ?out/i.test(e.message)) return 'it took too long';
  return 'it could not be reached';
}

let shared: DocSearch | null = null;
const sharedDocIndex = (): DocSearch => (shared ??= buildDocIndex());

export class AssistantService {
  private docIndex: DocSearch | null = null;
  readonly conversations: ConversationStore;
  private readonly limit: UserRateLimit;

  constructor(
    private readonly app: Waymark,
    readonly options: AssistantOptions = {},
  ) {
    this.conversations = app.assistantConversations;
    this.limit = new UserRateLimit(options.questionsPerMinute ?? (options.model ? 20 : 120), () =>
      Date.now(),
    );
  }

  /** The documentation index: one per process (the docs are the package's), built on first use or by `warm()`. */
  get docs(): DocSearch {
    this.docIndex ??= sharedDocIndex();
    return this.docIndex;
  }

  /** Builds the index soon, off the request path (a listening server calls it once it listens). */
  warm(): void {
    setImmediate(() => void this.docs).unref();
  }

  async chat(
    asker: Asker & { readonly user: string },
    input: { readonly messages: readonly ChatMessage[]; readonly conversationId?: string },
  ): Promise<ChatOutcome> {
    const conversation =
      input.conversationId === undefined
        ? this.conversations.create(asker.user, asker.sandbox)
        : await this.conversations.get(input.conversationId, asker.user, asker.sandbox);
    if (conversation === null) return { kind: 'unknown-conversation' };
    const allowed = this.limit.take(asker.user);
    if (!allowed.ok) return { kind: 'rate-limited', retryAfterSeconds: allowed.retryAfterSeconds };
    const question = [...input.messages].reverse().find((m) => m.role === 'user')!.content;
    const tools = createTools(this.app, asker);
    const model = this.options.model ?? null;
    const withoutModel = async (): Promise<AssistantAnswer> => {
      const a = await answerWithoutModel(question, {
        tools,
        docs: this.docs,
        now: this.app.clock.now(),
        previousJourney: conversation.journeyId,
        actionNames: (await this.app.objects.list(asker.sandbox, 'action')).map((o) => o.key),
      });
      if (a.journeyId) conversation.journeyId = a.journeyId;
      return a;
    };
    const settings = await this.settingsIn(asker.sandbox);
    let answer: AssistantAnswer;
    if (model !== null && settings.model) {
      try {
        answer = await answerWithModel(model, {
          history: [...conversation.messages, ...input.messages].slice(-12),
          tools,
          docs: this.docs,
          budget: this.options.budget ?? DEFAULT_BUDGET,
          personalData: settings.personalData,
          now: () => Date.now(),
        });
      } catch (e) {
        // A model that fails or cannot be reached: the answer without it, saying so.
        const fallback = await withoutModel();
        answer = {
          ...fallback,
          answer: `The model did not answer (${modelFailure(e)}), so this answer is made without it.\n\n${fallback.answer}`,
        };
      }
    } else answer = await withoutModel();
    await this.conversations.append(
      conversation,
      { role: 'user', content: question },
      { role: 'assistant', content: answer.answer },
    );
    return {
      kind: 'answered',
      reply: {
        answer: answer.answer,
        citations: answer.citations,
        ...(answer.data && answer.data.length > 0 ? { data: answer.data } : {}),
        conversationId: conversation.id,
        mode: answer.mode,
      },
    };
  }

  /**
   * Whether the model is used in the sandbox and personal data may reach it: the sandbox's settings
   * where changed there (`assistant` in PUT /v1/sandboxes/:name/settings), else the model's
   * configuration (WAYMARK_AI_SANDBOXES, WAYMARK_AI_PERSONAL_DATA_SANDBOXES).
   */
  /** Whether the server has a model configured at all; without one no sandbox setting turns it on. */
  hasModel(): boolean {
    return (this.options.model ?? null) !== null;
  }

  async settingsIn(sandbox: string): Promise<AssistantSandboxSettings> {
    const model = this.options.model ?? null;
    if (model === null) return { model: false, personalData: false };
    const own = await this.app.access.sandboxes.assistantOverrides(sandbox);
    return {
      model: own.model ?? model.enabledIn(sandbox),
      personalData: own.personalData ?? model.personalDataIn(sandbox),
    };
  }

  /** Records whether an answer helped; false when the conversation is not the user's. */
  feedback(f: Omit<Feedback, 'at'>): Promise<boolean> {
    return this.conversations.feedback(f);
  }

  feedbackOf(sandbox: string): Promise<Feedback[]> {
    return this.conversations.feedbackOf(sandbox);
  }
}
