/**
 * The desk's screens after the first, as one lazily loaded chunk: opening any of them loads them all,
 * in a request or two rather than one per shared module of each.
 */
export { AppointmentsScreen } from './AppointmentsScreen';
export { BookScreen } from './BookScreen';
export { DiaryScreen } from './DiaryScreen';
export { MessagesScreen } from './MessagesScreen';
