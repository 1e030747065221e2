export * from '../../journey/reaction.ts';
