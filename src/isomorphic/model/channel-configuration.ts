export * from '../../model/channel-configuration.ts';
