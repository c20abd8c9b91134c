/**
 * The credentials the bot and its local emulator share when no LINE channel is configured. A module of its own so
 * that the server can know them without loading the emulator, which it starts only when there are no credentials.
 */
export const EMULATOR_CREDENTIALS = {
  channelSecret: '0e3a1b2c4d5f60718293a4b5c6d7e8f9',
  channelAccessToken: 'emulator-channel-access-token-not-a-real-one',
};
