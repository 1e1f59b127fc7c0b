import {
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';
import { REMARK_ENDPOINTS, triggerGate, type RemarkMark } from '../../client';
import { clientFor } from '../shared/client';
import { triggerNodeDescription } from '../shared/description';
import { toNodeError } from '../shared/errors';

/**
 * Polls for new charge remarks. The mark (newest remark handled) lives in the node's static data:
 * the first activation only sets it, a failed poll leaves it, so no remark is emitted twice or skipped.
 */
export class BilibiliRemarkTrigger implements INodeType {
	description: INodeTypeDescription = {
		// Written here, not in the helper: n8n's linter reads these from the node's own description.
		icon: { light: 'file:../../icons/bilibili.svg', dark: 'file:../../icons/bilibili.dark.svg' },
		subtitle: 'New charge remarks',
		...triggerNodeDescription({
			displayName: 'Bilibili Remark Trigger',
			name: 'bilibiliRemarkTrigger',
			description: 'Starts the workflow for every new charge remark you receive, oldest first',
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
			throw toNodeError(this.getNode(), err, 0);
		} finally {
			client.close();
		}
	}
}
