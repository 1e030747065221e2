// The shapes of Waymark's client routes (the in-app / code-based contract).
import type { InAppTrigger } from './triggers.ts';

export type InAppLayout = 'modal' | 'banner' | 'fullscreen';

export interface InAppButton {
  readonly id: string;
  readonly label: string;
  readonly action: 'url' | 'dismiss';
  readonly url?: string;
}

/** One in-app message for the visitor, rendered by the server (personalization done). */
export interface InAppMessage {
  readonly messageId: string;
  readonly layout: InAppLayout;
  readonly title: string;
  readonly body: string;
  readonly imageUrl?: string;
  readonly buttons: readonly InAppButton[];
}

export type InAppInteraction = 'displayed' | 'clicked' | 'dismissed';

/** A code-based experience for one surface. */
export interface Experience {
  readonly surface: string;
  readonly format: 'html' | 'json';
  readonly content: string;
  readonly messageId: string;
}

export interface TrackResult {
  readonly id: string;
  /** accepted, or duplicate when the same event id was sent before. */
  readonly status: string;
}

export type { InAppTrigger };
