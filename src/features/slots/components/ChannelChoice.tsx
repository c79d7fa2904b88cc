import { DELIVERY_CHANNEL_DISPLAY, type DeliveryChannel } from '../../../../domain/extensions';

interface ChannelChoiceProps {
  /** The channels the practice offers among the free times shown. */
  channels: readonly DeliveryChannel[];
  value: DeliveryChannel | '';
  onChange: (channel: DeliveryChannel | '') => void;
}

/** How the patient would like to be seen: only the ways the practice offers, or any of them. */
export function ChannelChoice({ channels, value, onChange }: ChannelChoiceProps) {
  if (channels.length === 0) return null;
  const choices: Array<[DeliveryChannel | '', string]> = [
    ['', 'Any way'],
    ...channels.map((code): [DeliveryChannel, string] => [code, DELIVERY_CHANNEL_DISPLAY[code]]),
  ];
  return (
    <fieldset className="choice-list choice-list--channels">
      <legend className="choice-list__legend">How would you like to be seen?</legend>
      {choices.map(([code, label]) => (
        <label key={code || 'any'} className="choice">
          <input
            type="radio"
            name="channel"
            className="choice__input"
            checked={value === code}
            onChange={() => onChange(code)}
          />
          <span className="choice__text">{label}</span>
        </label>
      ))}
    </fieldset>
  );
}
