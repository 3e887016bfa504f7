import { Inject, Injectable } from '@nestjs/common';
import { ApiError, isUuid } from '@clipguard/contracts';
import { BLOBS } from '@clipguard/infra';
import { ReviewActionsRepository, SubmissionRepository, type BlobStore } from '@clipguard/storage';

/** A platform appeals a block on its user's behalf; a lead decides it in the console. */
@Injectable()
export class AppealService {
  constructor(
    private readonly actions: ReviewActionsRepository,
    private readonly submissions: SubmissionRepository,
    @Inject(BLOBS) private readonly blobs: BlobStore,
  ) {}

  async open(
    tenant: string,
    submissionId: string,
    statement: string,
    userId?: string,
  ): Promise<{ appeal_id: string }> {
    const notFound = new ApiError('SUBMISSION_NOT_FOUND', `no submission ${submissionId}`);
    if (!isUuid(submissionId)) throw notFound;
    const opened = await this.actions.openAppeal(submissionId, tenant, statement, userId);
    if ('refused' in opened) {
      if (opened.refused === 'not_found') throw notFound;
      if (opened.refused === 'open')
        throw new ApiError('APPEAL_OPEN', 'an appeal of this submission is already open');
      throw new ApiError('APPEAL_NOT_ALLOWED', 'only a submission whose outcome is block can be appealed');
    }
    // The lead deciding it must see the image, however long the appeal waits.
    const blobKey = (await this.submissions.find(submissionId, tenant))?.blob_key;
    if (blobKey) await this.blobs.retain(blobKey);
    return { appeal_id: opened.appealId };
  }
}
