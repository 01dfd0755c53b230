// Methods about files: getFile (files over 20 MB cannot be downloaded by bots).
import type { Core, Handler } from '../core.js';
import { badRequest, paramString } from '../http.js';
import { DOWNLOAD_LIMIT } from '../limits.js';

export function fileMethods(core: Core): Record<string, Handler> {
  return {
    getfile: (p) => {
      const id = paramString(p, 'file_id') ?? '';
      const file = core.files.byId.get(id);
      if (!file) throw badRequest('invalid file_id');
      if (file.size > DOWNLOAD_LIMIT) throw badRequest('file is too big');
      return { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.size, file_path: file.path };
    },
  };
}
