import { useEffect, useState } from 'react';
import type { Preferences } from '@clipguard/contracts/console';

/**
 * The item's image from the console's authenticated endpoint (never the platform's URL), blurred until
 * the moderator reveals it (click, or hover when that is their preference), optionally in grayscale.
 */
export function ImageViewer({
  src,
  prefs,
  revealed,
  onReveal,
  grayscale,
}: {
  src: string;
  prefs: Preferences;
  revealed: boolean;
  onReveal: (shown: boolean) => void;
  grayscale: boolean;
}) {
  const [hovering, setHovering] = useState(false);
  useEffect(() => setHovering(false), [src]);
  const shown = !prefs.blur || revealed || (prefs.reveal === 'hover' && hovering);
  const classes = ['item-image', shown ? 'revealed' : 'blurred', grayscale ? 'grayscale' : ''].join(' ');
  return (
    <div className="image-frame">
      <button
        type="button"
        className="image-button"
        aria-pressed={shown}
        aria-label={shown ? 'Hide the image (V)' : 'Reveal the image (V)'}
        onClick={() => onReveal(!revealed)}
        onMouseEnter={() => setHovering(true)}
        onMouseLeave={() => setHovering(false)}
      >
        <img
          src={src}
          alt="The submitted image under review"
          className={classes}
          data-state={shown ? 'revealed' : 'blurred'}
        />
        {!shown && (
          <span className="reveal-hint" aria-hidden="true">
            {prefs.reveal === 'hover' ? 'Hover or click to reveal' : 'Click to reveal'}
          </span>
        )}
      </button>
    </div>
  );
}
