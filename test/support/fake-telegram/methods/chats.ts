// Methods about chats and members: getChat, getChatMember, leaveChat, sendChatAction.
import type { Core, Handler } from '../core.js';
import { badRequest, paramInt, paramString } from '../http.js';
import type { TgChat } from '../types.js';

const CHAT_ACTIONS = new Set([
  'typing',
  'upload_photo',
  'record_video',
  'upload_video',
  'record_voice',
  'upload_voice',
  'upload_document',
  'choose_sticker',
  'find_location',
  'record_video_note',
  'upload_video_note',
]);

export function chatMethods(core: Core): Record<string, Handler> {
  const world = core.world;
  return {
    getchat: (p): TgChat => {
      const chatId = world.requireChatId(p);
      const g = world.groups.get(chatId);
      if (g) return { ...g.chat };
      const u = world.users.get(chatId);
      if (u) return world.privateChat(u.user);
      throw badRequest('chat not found');
    },
    getchatmember: (p) => {
      const chatId = world.requireChatId(p);
      if (!world.chatExists(chatId)) throw badRequest('chat not found');
      const userId = paramInt(p, 'user_id');
      if (userId === core.botUser.id) return { status: 'member', user: core.botUser };
      const u = userId === undefined ? undefined : world.users.get(userId);
      if (!u) throw badRequest('user not found');
      return { status: 'member', user: u.user };
    },
    leavechat: (p) => {
      const chatId = world.requireChatId(p);
      const g = world.groups.get(chatId);
      if (!g) throw badRequest('chat not found');
      g.botIsMember = false;
      return true;
    },
    sendchataction: (p) => {
      world.sendTarget(p);
      const action = paramString(p, 'action');
      if (!action || !CHAT_ACTIONS.has(action)) throw badRequest('wrong parameter action in request');
      return true;
    },
  };
}
