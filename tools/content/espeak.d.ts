declare module "@echogarden/espeak-ng-emscripten" {
  interface ESpeakEvent {
    type: string;
    audio_position: number;
    text_position?: number;
    id?: string;
  }
  interface ESpeakWorker {
    set_voice(voice: string): void;
    get_samplerate(): number;
    synthesize(text: string, callback: (samples: Int16Array | null, events: ESpeakEvent[]) => boolean): void;
  }
  interface ESpeakModule {
    eSpeakNGWorker: new () => ESpeakWorker;
  }
  const factory: () => Promise<ESpeakModule>;
  export default factory;
}
