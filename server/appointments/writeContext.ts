/** What every write needs besides its own input: the clock, who is asking, the practice's rules, and how its emails are worded. */
import { DEFAULT_PRACTICE_RULES, type PracticeRules } from '../../domain/practiceRules';
import { SERVER_REQUESTER, type Requester } from '../core/requester';
import { DEFAULT_MESSAGE_SETTINGS, type MessageSettings } from '../mail/messageSettings';

export interface WriteContext {
  now: Date;
  requester: Requester;
  rules: PracticeRules;
  /** The clinic's zone and the reminder time, for the emails the write queues in its transaction. */
  messages: MessageSettings;
}

/** A store operation's input: its own fields and the write context, as plain data. */
export type WriteInput<T> = T & WriteContext;

/** The context with its defaults: the server itself asking, under the default rules. */
export function contextOf(given: {
  now: Date;
  requester?: Requester;
  rules?: PracticeRules;
  messages?: MessageSettings;
}): WriteContext {
  return {
    now: given.now,
    requester: given.requester ?? SERVER_REQUESTER,
    rules: given.rules ?? DEFAULT_PRACTICE_RULES,
    messages: given.messages ?? DEFAULT_MESSAGE_SETTINGS,
  };
}
