/** What a command gets from the program that runs it: where its answer goes, and how wide. */
export interface CommandContext {
  /** Prints `text` and a line break. */
  readonly print: (text: string) => void;
  /** Sets the exit status the findings call for. */
  readonly setStatus: (status: number) => void;
  /** Standard input's text (`-` as a file), when the program is given one (tests). */
  readonly stdin?: () => string;
  /** The width text reports are laid out to: the terminal's, or 80 (or $COLUMNS) elsewhere. */
  readonly width: number;
}
