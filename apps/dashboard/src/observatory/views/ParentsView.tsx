export default function ParentsView() {
  return <p>À venir</p>;
}
