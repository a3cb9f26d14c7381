// A model folder that cannot be used: the file at fault and what is wrong with it, for the user.
export class ModelFolderError extends Error {
  constructor(readonly file: string, message: string) {
    super(message);
  }
}
