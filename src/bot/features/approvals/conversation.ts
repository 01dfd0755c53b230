// The approver's conversations: what the chat waits for (a return reason, rating feedback, a /kumpulkan
// selection), kept in the one chat-state store.
import { clearConversation as clearStoredConversation, loadConversation as loadStoredConversation, saveConversation as saveStoredConversation } from '../../../app/conversation.js';
import type { Rating } from '../../../domain/predikat.js';
import type { BotDeps } from '../../context.js';

export type Conversation =
  | { kind: 'return_reason'; caseId: string; version: number; stepNo: number; messageChatId?: number; messageId?: number }
  | { kind: 'rating_feedback'; caseId: string; version: number; hk: Rating; pl: Rating; catatan?: string }
  /** `mode`: gathering for BKPP (pengelola) or receiving there (BKPP); absent in states saved before receiving. */
  | { kind: 'collect'; caseIds: string[]; versions: number[]; selected: number[]; mode?: 'collect' | 'receive' };

export function approvalConversations(deps: BotDeps) {
  const KINDS: ReadonlyArray<Conversation['kind']> = ['return_reason', 'rating_feedback', 'collect'];
  const saveConversation = (telegramUserId: number, state: Conversation) => saveStoredConversation(deps.db, telegramUserId, state.kind, state, deps.now());
  const loadConversation = async (telegramUserId: number): Promise<Conversation | null> =>
    (await loadStoredConversation<Conversation>(deps.db, telegramUserId, { kinds: KINDS }))?.state ?? null;
  const clearConversation = async (telegramUserId: number, kind: Conversation['kind']) => {
    await clearStoredConversation(deps.db, telegramUserId, kind);
  };
  return { saveConversation, loadConversation, clearConversation };
}
