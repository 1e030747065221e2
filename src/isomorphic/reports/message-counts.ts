export * from '../../shared/message-counts.ts';
