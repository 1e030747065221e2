export * from '../../model/event-type.ts';
