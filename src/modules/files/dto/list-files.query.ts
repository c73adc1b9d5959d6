import { PageQuery } from '../../../common/http/index.js';

/** `GET /api/files?limit=&cursor=`, paginated like `GET /api/data`. */
export class ListFilesQuery extends PageQuery {}
