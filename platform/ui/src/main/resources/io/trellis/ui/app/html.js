// htm bound to Preact: the UI's one way to write markup, with no build step.
import { h } from 'preact';
import htm from 'htm';

export const html = htm.bind(h);
