export default function CollaborationView() {
  return <p>À venir</p>;
}
