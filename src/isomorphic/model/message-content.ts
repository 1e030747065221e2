export * from '../../model/message-content.ts';
