import { useQuery } from '@tanstack/react-query';
import { EmptyState } from '../../components/EmptyState';
import { LoadError } from '../../components/ErrorSummary';
import { Loading } from '../../components/Spinner';
import { messageQueries } from '../../features/messages/api/messageQueries';
import { MessageList } from '../../features/messages/components/MessageList';
import { useAppConfig, useFhirClient } from '../../lib/appContext';
import { useServerCapabilities } from '../../lib/serverCapabilities';
import { usePageTitle } from '../usePageTitle';
import { useAppState } from '../urlState';

/** The emails the server keeps for patients (its Communication resources): the chosen patient's, or everyone's. */
export function MessagesScreen() {
  usePageTitle('Messages');
  const { patient } = useAppState();
  const client = useFhirClient();
  const { timeZone } = useAppConfig();
  const supported = useServerCapabilities().supportsInteraction('Communication', 'search-type');
  const messages = useQuery({ ...messageQueries.list(client, patient), enabled: supported });
  return (
    <div className="screen">
      <h1 className="screen__title">{patient ? 'Messages to this patient' : 'Messages to patients'}</h1>
      {!supported ? (
        <EmptyState title="This FHIR server keeps no messages (it declares no Communication search)." />
      ) : messages.isPending ? (
        <Loading label="Loading messages…" />
      ) : messages.isError ? (
        <LoadError error={messages.error} onRetry={() => void messages.refetch()} />
      ) : (
        <MessageList rows={messages.data.rows} total={messages.data.total} timeZone={timeZone} />
      )}
    </div>
  );
}
