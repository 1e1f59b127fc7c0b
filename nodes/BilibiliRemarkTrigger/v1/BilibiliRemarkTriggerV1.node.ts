import {
	type IDataObject,
	type INodeExecutionData,
	type INodeTypeBaseDescription,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';
import { REMARK_ENDPOINTS, triggerGate, type RemarkMark } from '../../../client';
import { clientFor } from '../../shared/client';
import { triggerVersion } from '../../shared/description';
import { explainLoggedOut, toNodeError } from '../../shared/errors';

/**
 * Polls for new charge remarks. The mark (newest remark handled) lives in the node's static data:
 * the first activation only sets it, a failed poll leaves it, so no remark is emitted twice or skipped.
 *
 * typeVersion 1. Checked as a node type where the entry file hands it to versioned(); it has no
 * `implements INodeType`, because n8n's linter would then look for a literal description with an icon,
 * and a version's description starts from the entry's (icon included).
 */
export class BilibiliRemarkTriggerV1 {
	description: INodeTypeDescription;

	constructor(base: INodeTypeBaseDescription) {
		this.description = {
			subtitle: 'New charge remarks',
			...triggerVersion(base, {
				version: 1,
				polling: true,
				properties: [
					{
						displayName:
							'The first poll after activation only remembers the newest remark; remarks arriving after that start the workflow, one item each, oldest first.',
						name: 'notice',
						type: 'notice',
						default: '',
					},
					{
						displayName: 'Include Sender Details',
						name: 'includeDetails',
						type: 'boolean',
						default: true,
						description:
							"Whether to fetch each remark's detail for the sender's name (uname), avatar (avator) and mid. One extra request per remark.",
					},
				],
			}),
		};
	}

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const includeDetails = this.getNodeParameter('includeDetails', true) as boolean;
		const staticData = this.getWorkflowStaticData('node') as IDataObject & { mark?: RemarkMark };
		const manual = this.getMode() === 'manual';
		// Active polls make no quick retries: the next poll is the retry, spaced by the gate while polls keep failing.
		const client = await clientFor(this, manual ? {} : { retry: { retries: 0 } });
		const gate = manual
			? undefined
			: triggerGate(
					`n8n:remarks:${this.getWorkflow().id}:${this.getNode().id}:${client.accountKey}`,
				);
		try {
			if (manual) {
				// "Fetch Test Event": the newest remark, so fields can be mapped; the mark is left alone.
				const sample = await client.newestRemark({ includeDetails });
				return sample ? [[{ json: sample as unknown as IDataObject }]] : null;
			}
			const result = await gate!.run(REMARK_ENDPOINTS.list.name, () =>
				client.pollNewRemarks(staticData.mark, { includeDetails }),
			);
			staticData.mark = result.mark;
			return result.remarks.length
				? [result.remarks.map((r) => ({ json: r as unknown as IDataObject }))]
				: null;
		} catch (err) {
			throw toNodeError(this.getNode(), await explainLoggedOut(this, err), 0);
		} finally {
			client.close();
		}
	}
}
